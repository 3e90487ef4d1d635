// Package exchange reads and writes the files that carry frameworks and organisations
// in and out of the service: a framework as a 1EdTech CASE 1.1 package or as our CSV, and
// organisations as our CSV or an NHS ODS extract. A parser returns models types, with
// every problem of a file named by its place in the file (a CASE path, a row and column,
// a line), and never half a file; writing to the database is the repository's job.
package exchange
