"""The board-paper sentence on the agreement of balances, only when a flow between two
organisations is flagged (domain.md): the sides differ by more than the materiality, or only
one side tagged it. Pure; amounts rounded as the tables round them."""

from __future__ import annotations

from finmodel.money import millions_in_words, pounds_label
from finmodel.results import CloseResults
from finmodel.results.agreement import AgreementPair

_SHOWN = 3  # pairs named in the sentence; the sheet lists every one


def _m(pence: int) -> str:
    return millions_in_words(abs(pence))


def _pair(results: CloseResults, pair: AgreementPair) -> str:
    payer, payee = results.org(pair.payer).name, results.org(pair.payee).name
    if not pair.both_tagged:
        who, whom = (payee, payer) if pair.income.tagged else (payer, payee)
        return f"{who} tags a flow with {whom} that {whom} does not tag, so it is not eliminated"
    return (f"{payer} reports {_m(pair.expenditure.line.fot)} of FOT spend with {payee}, which reports "
            f"{_m(pair.income.line.fot)} of FOT income from it ({_m(pair.fot_difference)} apart; "
            f"{_m(pair.ytd_difference)} YTD)")


def agreement_items(results: CloseResults) -> list[tuple[str, str, str]]:
    """[(code, topic, sentence)], empty when every pair agrees within the materiality."""
    flagged = results.agreement.flagged()
    if not flagged:
        return []
    parts = [_pair(results, p) for p in flagged[:_SHOWN]]
    more = f"; and {len(flagged) - _SHOWN} more" if len(flagged) > _SHOWN else ""
    noun = "flow between organisations needs" if len(flagged) == 1 else "flows between organisations need"
    return [("agreement", "Agreement of balances",
             f"{len(flagged)} {noun} agreeing (materiality {pounds_label(results.agreement.materiality)}): "
             f"{'; '.join(parts)}{more}. See the Agreement of balances sheet.")]
