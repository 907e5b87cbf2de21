"""Key figures: numbers that must reach every language unchanged, and the checks that keep them so.

A figure is the part of a brief where a wrong translation does the most harm
(a casualty count), so its value is validated apart from the rest of the
model: plain digits only, never negative, never rounded, a count a whole
number, a currency a real ISO 4217 money code.  :class:`Figure` is re-exported
by :mod:`polybrief.model` with the brief's other parts.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .cldr import fraction_digits
from .fields import Translatable
from .modeltypes import FrozenModel, Key, PluralForms, Text

__all__ = ["Figure", "FigureKind"]


def _not_negative(value: int | Decimal) -> int | Decimal:
    """A key figure is a count or an amount: "at least -5 civilians" is nonsense, and a minus sign is
    easy to lose or misplace in translation and in right-to-left text."""
    if value < 0:
        raise ValueError("must not be negative: state a decrease in the label (e.g. 'Fall in exports')")
    return value


FigureKind = Literal["count", "percent", "currency", "decimal"]
"""What a figure's value is: a whole number of ``unit`` (count), a percentage, an amount
of money, or a measurement with a unit and a precision (decimal)."""

#: ASCII digits only: ``\d`` would also take ``١٠٠`` (Arabic-Indic) or ``１００`` (full-width) and read them
#: as 100, and the rule for a figure's value is "digits as a machine reads them", written once.
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


@functools.lru_cache(maxsize=1)
def _non_currencies() -> frozenset[str]:
    """ISO 4217 codes that are not money: ``XXX`` (no currency), ``XTS`` (testing), gold, silver and the other
    metals, the bond-market and accounting units — the X codes CLDR lists as legal tender in no territory,
    ever (``XAF``, ``XOF``, ``XCD``, ``XPF`` are tender and stay allowed)."""
    from babel.core import get_global

    tender = {code for entries in get_global("territory_currencies").values()
              for code, _start, _end, is_tender in entries if is_tender}
    from babel.numbers import list_currencies

    return frozenset(code for code in list_currencies() if code.startswith("X") and code not in tender)


_MAX_PRECISION = 6


def _figure_value(value: Any, info: ValidationInfo) -> Any:
    """A figure's value as a number: YAML floats exactly as written, numeric strings, ``84.5%``.

    Strings other than plain numbers are refused with what to write instead:
    ``$97 million`` or ``1,000`` in a brief file is a typing habit, and
    guessing what it means is how a figure goes wrong.
    """
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return Decimal(repr(value))  # 84.5 stays 84.5 (Decimal(84.5) would not be exact)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.endswith(("%", "\u066a")):
        kind = info.data.get("kind", "count")
        if kind != "percent":
            raise ValueError(f"{value!r} is a percentage: write kind: percent and value: {text[:-1].strip()}")
        text = text[:-1].strip()
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(
            f"{value!r} is not a plain number: write the digits 0-9 with a '.' for decimals and no thousands "
            "separators, units or currency signs (e.g. value: 97000000 with kind: currency, currency: USD)"
        )
    return Decimal(text) if "." in text else int(text)


class Figure(FrozenModel):
    """A key figure: a number that must reach every language unchanged.

    ``kind`` says what the number is:

    * ``count`` (the default): a whole number of ``unit`` ("at least 2 civilians");
    * ``percent``: ``value`` per cent, ``84.5`` → ``84.5%`` / ``84,5 %`` / ``۸۴٫۵٪``; no unit;
    * ``currency``: an amount of ``currency`` (ISO 4217), optionally ``compact``
      ("$97M", "97 млн $"); no unit;
    * ``decimal``: a measurement with an optional ``unit`` and ``precision``
      ("2.50 km").

    ``unit`` holds the source-language plural forms by CLDR category
    (``{one: civilian, other: civilians}``); each target language's forms
    come from its catalog and are chosen by that language's plural rules.
    ``qualifier`` keeps "at least" and "about" apart from exact counts,
    which matters for casualty figures.  A qualified figure's unit is
    translated as one phrase with the number in it ("at least {count}
    civilians"), because the qualifier decides the unit's grammatical case
    in many languages ("не менее 2 мирных жителей", not "жителя").

    Formatting never rounds: a value with more decimal places than
    ``precision`` (or, for money, than the currency has) is refused.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru")
    >>> figure = page.figures[0]                  # "at least 2 civilians"
    >>> figure.model.qualifier, figure.number, figure.phrase.text
    ('at-least', '2', 'не менее {count} мирных жителей')
    >>> turnout = polybrief.Figure(label="Turnout", kind="percent", value="84.5")
    >>> polybrief.get_locale("fa").format_percent(turnout.value)
    '۸۴٫۵٪'
    """

    key_from: ClassVar[tuple[str, ...]] = ("label",)

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False, json_schema_extra={
        "allOf": [
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "currency"}}},
             "then": {"required": ["currency"], "properties": {"unit": {"type": "null"}}}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "percent"}}},
             "then": {"properties": {"unit": {"type": "null"}, "currency": {"type": "null"},
                                     "compact": {"const": False}}}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "decimal"}}},
             "then": {"properties": {"currency": {"type": "null"}, "compact": {"const": False}}}},
            {"if": {"not": {"required": ["kind"]}},
             "then": {"properties": {"currency": {"type": "null"}, "compact": {"const": False},
                                     "precision": {"type": "null"}, "value": {"type": ["integer", "string"]}}}},
        ]})

    key: Key | None = None
    label: Annotated[Text, Translatable("Label of a key figure; keep numbers unchanged")]
    kind: FigureKind = Field(default="count", description=(
        "count: a whole number of `unit` (the default); percent: `value` per cent (84.5 means 84.5%), no unit; "
        "currency: an amount of `currency`, no unit; decimal: a measurement with an optional `unit` and "
        "`precision`."))
    value: Annotated[int | Decimal, BeforeValidator(_figure_value), AfterValidator(_not_negative)] = Field(
        description=(
        "The number, written plainly (120000, 84.5): no thousands separators, units or currency signs. "
            "`84.5%` is read as a percent figure. A count is a whole number. Never negative: state a "
            "decrease in the label."))
    unit: Annotated[PluralForms | None, Translatable(
        "Unit counted by a key figure (value {value}); give every plural form", plural=True, count="shown_value",
        phrase="unit_phrase")] = Field(default=None, validate_default=True, description=(
            "Source-language plural forms of what a count or decimal measures, by CLDR category."))
    currency: str | None = Field(default=None, validate_default=True, description=(
        "ISO 4217 code of a currency figure (USD, EUR, AMD); required for kind currency, refused otherwise."))
    compact: bool = Field(default=False, description=(
        "Currency figures only: CLDR's short compact form ($97M, 97 млн $); never rounds, a value that "
        "would need rounding is written in full."))
    precision: int | None = Field(default=None, ge=0, le=_MAX_PRECISION, validate_default=True, description=(
        "Decimal places shown (decimal, percent and currency figures): 2 shows 2.5 as 2.50. A value with "
        "more decimal places is refused, never rounded."))
    qualifier: Literal["exact", "at-least", "about", "up-to"] = "exact"
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")

    @model_validator(mode="before")
    @classmethod
    def _percent_value_means_percent(cls, data: Any) -> Any:
        """``value: 84.5%`` with no ``kind`` is a percent figure."""
        if isinstance(data, dict) and "kind" not in data:
            value = data.get("value")
            if isinstance(value, str) and value.strip().endswith(("%", "\u066a")):
                return {**data, "kind": "percent"}
        return data

    @field_validator("value")
    @classmethod
    def _value_fits_kind(cls, value: int | Decimal, info: ValidationInfo) -> int | Decimal:
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError("must be a finite number")
        if info.data.get("kind", "count") == "count" and fraction_digits(value) > 0:
            raise ValueError(f"a count is a whole number, not {value}; for a measurement use kind: decimal "
                             "(with a unit and a precision), for a share kind: percent")
        if isinstance(value, Decimal) and fraction_digits(value) == 0 and value == value.to_integral_value():
            return int(value)
        return value

    @field_validator("unit")
    @classmethod
    def _unit_fits_kind(cls, unit: dict[str, str] | None, info: ValidationInfo) -> dict[str, str] | None:
        kind = info.data.get("kind")
        if unit is not None and kind in ("percent", "currency"):
            what = "the % sign" if kind == "percent" else "the currency"
            raise ValueError(f"a {kind} figure has no unit ({what} comes from the locale); say what it is "
                             "a share or an amount of in the label")
        return unit

    @field_validator("currency")
    @classmethod
    def _currency_fits_kind(cls, currency: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "currency" and currency is None:
            raise ValueError("a currency figure needs its ISO 4217 code, e.g. currency: USD")
        if currency is not None and kind not in ("currency", None):
            raise ValueError(f"only a currency figure has a currency; this one is kind: {kind} "
                             "(write kind: currency)")
        if currency is not None:
            from babel.numbers import is_currency

            if not (len(currency) == 3 and currency.isascii() and currency.isupper() and is_currency(currency)):
                hint = f"; did you mean {currency.upper()}?" if is_currency(currency.upper()) else ""
                raise ValueError(f"{currency!r} is not an ISO 4217 currency code such as USD, EUR or AMD{hint}")
            if currency in _non_currencies():
                raise ValueError(f"{currency!r} is an ISO 4217 code but not money anyone pays with (no currency, a "
                                 "test code, a precious metal or a unit of account); it would be shown as "
                                 "'¤100' — give the currency the amount is in, such as USD, EUR or AMD")
        return currency

    @field_validator("compact")
    @classmethod
    def _compact_fits_kind(cls, compact: bool, info: ValidationInfo) -> bool:
        kind = info.data.get("kind")
        if compact and kind not in ("currency", None):
            raise ValueError(f"compact applies to currency figures only; this one is kind: {kind}")
        return compact

    @field_validator("precision")
    @classmethod
    def _precision_fits_value(cls, precision: int | None, info: ValidationInfo) -> int | None:
        kind, value = info.data.get("kind"), info.data.get("value")
        if precision is not None and kind == "count":
            raise ValueError("a count is a whole number and has no precision; use kind: decimal for a measurement")
        if value is None or kind is None:
            return precision
        places = fraction_digits(value)
        if precision is not None and places > precision:
            raise ValueError(f"the value {value} has {places} decimal places but precision is {precision}; "
                             "polybrief never rounds a figure: give the value as it is to be shown, or raise "
                             "the precision")
        currency = info.data.get("currency")
        if precision is None and kind == "currency" and isinstance(currency, str):
            from babel.numbers import get_currency_precision

            allowed = get_currency_precision(currency)
            if places > allowed:
                raise ValueError(f"amounts of {currency} have {allowed} decimal places, the value {value} has "
                                 f"{places}; set precision to show them all")
        return precision

    @property
    def shown_value(self) -> int | Decimal:
        """The value as it is shown, with ``precision`` decimal places: what chooses the unit's
        plural form (CLDR counts visible decimals: "1.0 kilometres", not "kilometre")."""
        if self.precision is None or not self.precision:
            return self.value
        return Decimal(self.value).quantize(Decimal(1).scaleb(-self.precision))

    def unit_phrase(self, language: str | None) -> str | None:
        """The source-language phrase the figure's unit is translated in, with ``{count}`` where the
        number goes (``at least {count} {unit}``; ``{count} {unit}`` for an exact figure, so that a
        language may spell out one and two: see :mod:`polybrief.phrases`)."""
        from .phrases import qualified_unit_template

        return qualified_unit_template(self.qualifier, language or "en")
