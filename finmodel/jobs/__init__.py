"""The jobs finance staff run, each composed from the pipeline, the store and the report.

Every job returns one outcome value: its findings (when the inputs are wrong, nothing is
written), what was stored and which files were written. Nothing here prints; progress
goes to a callback the CLI shows.
"""

from finmodel.jobs.close import CloseDone, ReportDone, record_close, rewrite_report
from finmodel.jobs.demo import DEMO_DB, DemoDone, run_demo
from finmodel.jobs.export import ExportDone, export_close
from finmodel.jobs.pack import pack_inputs
from finmodel.jobs.paths import DEFAULT_OUT, close_outputs
from finmodel.jobs.progress import Progress, quiet
from finmodel.jobs.scenario import ScenariosDone, run_scenarios

__all__ = [
    "CloseDone", "DEFAULT_OUT", "DEMO_DB", "DemoDone", "ExportDone", "Progress", "ReportDone", "ScenariosDone",
    "close_outputs", "export_close", "pack_inputs", "quiet", "record_close", "rewrite_report", "run_demo",
    "run_scenarios",
]
