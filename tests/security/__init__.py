"""Security verification: OWASP ASVS 5.0 level-2 requirements that apply to this app, as tests."""
