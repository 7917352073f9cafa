from . import integration_funder_report_xlsx
