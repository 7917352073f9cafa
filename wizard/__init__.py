from . import integration_participant_exit_wizard
from . import integration_participant_pause_wizard
from . import integration_coach_assign_wizard
from . import integration_coach_archive_wizard
from . import integration_user_invite_wizard
from . import integration_funder_report
from . import integration_jobcenter_report_wizard
from . import base_language_install
