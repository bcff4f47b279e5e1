"""How numbers read in the pages' tables (``st.dataframe``): thousands separators in every
number column, percentages, money in the configured currency, durations with units.

Tables keep their numbers as numbers (they sort as numbers, and downloads keep them
exact); only their display is set here, by the same rules as ``formatting``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

COUNT = "%,d"           # 5,227,520
DECIMAL = "%,.2f"       # 1,239.50


def money_format(currency: str, decimals: int = 0) -> str:
    """A printf format (Streamlit's NumberColumn) writing an amount in ``currency``:
    "$%,.0f" for USD, "€%,.2f" for EUR with cents."""
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale="en_US")
    return f"{symbol}%,.{decimals}f"


def number_columns(frame: pd.DataFrame, *, percent=(), money=(), currency: str = "USD",
                   money_decimals: int = 0, decimals=(), help: dict | None = None) -> dict:
    """``column_config`` for every numeric column of ``frame``: shares (0..1) in ``percent``
    as percentages, amounts in ``money`` in the currency, columns in ``decimals`` with two
    decimals, every other number with thousands separators (whole numbers as such, others
    with two decimals). ``help`` gives a column its tooltip (a formula)."""
    help = help or {}
    config = {}
    for name in frame.columns:
        series = frame[name]
        if name in percent:
            fmt = "percent"
        elif name in money:
            fmt = money_format(currency, money_decimals)
        elif not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            if name in help:
                config[name] = st.column_config.Column(help=help[name])
            continue
        elif name in decimals:
            fmt = DECIMAL
        else:
            present = series.dropna()
            whole = present.empty or bool((present == present.round()).all())
            fmt = COUNT if whole else DECIMAL
        config[name] = st.column_config.NumberColumn(format=fmt, help=help.get(name))
    return config
