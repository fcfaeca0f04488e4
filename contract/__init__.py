"""The product contract in code: the return workbook and the financial-year calendar."""
