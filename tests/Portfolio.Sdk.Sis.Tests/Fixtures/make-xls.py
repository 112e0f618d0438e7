#!/usr/bin/python3
# Writes cadres.xls, a legacy Excel 97-2003 (BIFF8) workbook as schools still send them, for the bulk-import tests.
# Needs Debian's python3-xlwt (apt-get install python3-xlwt); run with /usr/bin/python3. The output is checked in.
import datetime
import xlwt

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("幹部名單")
headers = ["身分證號", "出生日期", "單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級", "備註"]
for c, h in enumerate(headers):
    sheet.write(0, c, h)
dates = xlwt.easyxf(num_format_str="yyyy/mm/dd")
rows = [
    ["A123456789", datetime.date(2008, 5, 13), "101班", datetime.date(2024, 8, 30), datetime.date(2025, 1, 31), "班長", 2, ""],
    ["F131104093", "0970601", "熱音社", "113/09/01", "", "社長", 3, "ROC dates as text"],
    ["A123456788", datetime.date(2008, 7, 1), "學生會", datetime.date(2024, 9, 1), datetime.date(2025, 1, 31), "會長", 1, "wrong check digit"],
]
for r, row in enumerate(rows, start=1):
    for c, value in enumerate(row):
        if isinstance(value, datetime.date):
            sheet.write(r, c, value, dates)
        else:
            sheet.write(r, c, value)
book.save("cadres.xls")
