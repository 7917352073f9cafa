from . import integration_caseload_report
from . import integration_obstacle_report
from . import integration_funder_report_xlsx
from . import integration_esf_indicators_xlsx
from . import integration_esf_participants_xlsx
