DROP TABLE assurance_statistics;
