"""finmodel: the financial position and forecast model for an NHS Integrated Care System.

The pipeline runs read -> validate -> ledger -> results -> scenarios -> report, with the
close history (store) and the command line (cli) at the edges. A finance analyst can call
it from a notebook::

    from finmodel import close
    outcome = close("inputs/2023-24/M10")
"""

from importlib import metadata as _metadata


def _version() -> str:
    """pyproject.toml is the one source: installed, from the package's metadata; run from a
    source checkout that was never installed, from pyproject.toml itself."""
    try:
        return _metadata.version("finmodel")
    except _metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"] if pyproject.is_file() else "0+unknown"


__version__ = _version()
__all__ = ["close", "__version__"]


def __getattr__(name: str):  # imported lazily so `import finmodel.money` stays light
    if name == "close":
        from finmodel.pipeline import close

        return close
    raise AttributeError(name)
