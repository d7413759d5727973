"""Medical terminologies for coding spans: MedDRA, ICD-10-CM and SNOMED CT."""
