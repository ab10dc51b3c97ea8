"""People around an application: the sign-off chain, applicants, accounts (issue 16)."""
