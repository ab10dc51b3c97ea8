"""The annual report (AR tables 三 and 四) and the Excel work ledger (台账, Reg. Art. 45)."""
