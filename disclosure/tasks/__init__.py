"""The key-task ledger (重点任务台账) of the yearly work plan."""
