"""How long each field may be: Moodle's own columns, so a row that fits here always fits the platform.

mdl_user: username, firstname, lastname, email varchar(100), idnumber varchar(255);
mdl_cohort: idnumber varchar(100), and ours is `{UAI}${class}` (see elea.logic.cohorts), so a class
name has 100 - 9 characters. A longer value is a row error with its line, never a failed import.
"""

from __future__ import annotations

NAME_MAX = 100
USERNAME_MAX = 100
EMAIL_MAX = 100
IDNUMBER_MAX = 255
COHORT_IDNUMBER_MAX = 100
# len("0771234Y$"): the UAI and the separator before the class in a cohort idnumber.
_COHORT_PREFIX = 9
CLASS_NAME_MAX = COHORT_IDNUMBER_MAX - _COHORT_PREFIX
