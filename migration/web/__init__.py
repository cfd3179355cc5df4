"""The foreign-specialist pages for signed-in people (applicants, officers, employers) and their
API; the public self-assessment and rounds pages are in `migration.views`."""
