"""Operations: the tables of the audit log, web sessions and the login throttle."""
