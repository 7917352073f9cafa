from . import integration_program
from . import integration_stage
from . import integration_exit_reason
from . import integration_tag
from . import integration_profession
from . import integration_language
from . import integration_participant
