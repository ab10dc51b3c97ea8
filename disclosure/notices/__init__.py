"""Holiday notices loaded by the office: checked, versioned, and applied to open applications."""
