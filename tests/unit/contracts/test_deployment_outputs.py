"""Every ELEA_* variable of `--deployed` has its stack Output, which names it, with the functions' values."""

from __future__ import annotations

from elea.config.deployment_settings import DeploymentSettings
from elea_local.cfn_template import load_template


def test_each_deployment_variable_has_an_output_that_names_it() -> None:
    outputs = load_template()["Outputs"]
    for variable, output in DeploymentSettings.variables().items():
        # THEN the operator finds the value, and which variable it goes to, in the stack's Outputs
        assert output in outputs, output
        assert variable in outputs[output]["Description"], output


def test_argon2_outputs_are_the_cost_the_functions_use() -> None:
    template = load_template()
    auth = template["Resources"]["AuthFunction"]["Properties"]["Environment"]["Variables"]
    users = template["Resources"]["UsersFunction"]["Properties"]["Environment"]["Variables"]
    for name, output in (
        ("ARGON2_TIME_COST", "Argon2TimeCost"),
        ("ARGON2_MEMORY_KIB", "Argon2MemoryKib"),
        ("ARGON2_PARALLELISM", "Argon2Parallelism"),
    ):
        assert template["Outputs"][output]["Value"] == auth[name] == users[name]
