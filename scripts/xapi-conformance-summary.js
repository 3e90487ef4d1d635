// xapi-conformance-summary.js reads a full run log of ADL's LRS conformance suite and
// prints the results by section (each of the suite's test files): passed of total, and
// every failed test with the first line of its error. Used by xapi-conformance.sh.
//
//   node scripts/xapi-conformance-summary.js SUITE_DIR/logs/UUID.log
'use strict';
const fs = require('fs');

const run = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// leaves yields every test (a node without tests of its own) under node, with its path.
function* leaves(node, path) {
	const title = node.title || node.name || '';
	if (!node.tests || node.tests.length === 0) {
		yield {path: path.concat(title), status: node.status, error: node.error};
		return;
	}
	for (const t of node.tests) yield* leaves(t, path.concat(title));
}

let passed = 0, total = 0;
const failures = [];
console.log('| section | passed | tests |');
console.log('| --- | ---: | ---: |');
for (const section of run.log.tests) {
	const tests = [...leaves(section, [])];
	const ok = tests.filter(t => t.status === 'passed').length;
	passed += ok;
	total += tests.length;
	console.log(`| ${section.title} | ${ok} | ${tests.length} |`);
	for (const t of tests.filter(t => t.status !== 'passed')) {
		const error = String(t.error || t.status || '').split('\n')[0];
		failures.push(`- ${t.path.slice(1).filter(Boolean).join(' > ')}: ${error}`);
	}
}
console.log(`| **all** | **${passed}** | **${total}** |`);
if (failures.length > 0) {
	console.log('\nFailed:');
	for (const f of failures) console.log(f);
}
