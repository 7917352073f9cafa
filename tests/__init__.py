from . import test_pipeline
from . import test_duplicates
from . import test_pause_exit
from . import test_milestones
from . import test_coaching
from . import test_courses
from . import test_placements
from . import test_ui
