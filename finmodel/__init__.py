"""finmodel: the financial position and forecast model for an NHS Integrated Care System.

The pipeline runs read -> validate -> ledger -> results -> scenarios -> report, with the
close history (store) and the command line (cli) at the edges. A finance analyst can call
it from a notebook::

    from finmodel import close
    outcome = close("inputs/2023-24/M10")
"""

__version__ = "0.1.0"
__all__ = ["close", "__version__"]


def __getattr__(name: str):  # imported lazily so `import finmodel.money` stays light
    if name == "close":
        from finmodel.pipeline import close

        return close
    raise AttributeError(name)
