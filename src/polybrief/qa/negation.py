"""Whether a translation still says "not": what can carry a negation, per language.

A translation that drops "not" says the opposite of its source and passes
every other check.  :data:`NEGATION_MARKERS` lists, per target language,
what can carry a negation; it errs towards *more* markers, so a missing
marker is a strong sign and a present one proves nothing:

* particles and negative pronouns: ru ``не``/``ни``/``нет``, uk
  ``не``/``ні``, ka ``არ``/``ვერ``, fa ``نه``/``هیچ``, ar ``لا``/``لم``/``لن``/``ليس``;
* negation written as a *prefix* (ru ``невозможно``, uk ``недоступний``,
  hy ``անհնար``, ka ``შეუძლებელია``, fa ``ناممکن``, the Persian verb prefix
  ``ن``/``نمی``) or a *suffix* (az and tr verbs in ``-ma``/``-mə``, the
  privative ``-sız``/``-siz``);
* what a language says for "cannot": ar ``تعذّر``/``يتعذر`` ("it was not
  possible"), fa ``نمی‌توان``.

Any Armenian word in ``չ``, ``չորս`` (four) included, counts; two negations
in the source and one in the translation go unseen.  The check that uses
this is a warning.
"""

from __future__ import annotations

import re

__all__ = ["NEGATION_MARKERS", "SOURCE_NEGATIONS", "has_negation", "source_negations"]

#: Words that negate an English sentence.
SOURCE_NEGATIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(?<![\w'’-])(?:not|never|no|none|nobody|nothing|neither|nor|cannot|without)(?![\w'’-])"
                     r"|\w(?:n't|n’t)(?!\w)", re.IGNORECASE),
}
#: Persian verbs the negative prefix ن- is read on (نکرد, نشد, ندارد, نخواهد, نمی‌شود…).
_FA_VERBS = ("می", "کرد", "کن", "شد", "شو", "دار", "داشت", "خواه", "باید", "توان", "بود", "یست", "ده", "داد",
             "گرفت", "گیر", "رفت", "آمد", "آی", "یاب", "یافت", "گذاشت", "زد", "دید", "بین", "گفت", "گوی", "خوان",
             "پذیر", "ساز", "ساخت", "رس")
#: What can carry a negation in a target language (see the module docstring: generous on purpose).
NEGATION_MARKERS: dict[str, re.Pattern[str]] = {
    # Whole words (and ни-/ні- pronouns), lower or sentence case only: ``Никол`` is a name, not ``ни``;
    # the prefix не- (невозможно, недоступен, неизвестный) in any word of four letters or more.
    "ru": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]и|[Нн]ет|[Бб]ез\w*|[Нн]ельзя)(?!\w)|(?<!\w)[Нн]е\w{3,}"
                     r"|(?<!\w)[Нн]и(?:кто|что|чего|чем|кого|кому|когда|где|куда|откуда|как|какой|какая|какое"
                     r"|какие|каких|сколько)\w*"),
    "uk": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]і|[Нн]ема|[Нн]емає|[Бб]ез\w*)(?!\w)|(?<!\w)[Нн]е\w{3,}"
                     r"|(?<!\w)[Нн]і(?:хто|що|чого|чим|кого|кому|коли|де|куди|звідки|як|який|яка|яке|які|яких"
                     r"|скільки)\w*"),
    "be": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]і|[Нн]яма|[Бб]ез\w*)(?!\w)|(?<!\w)[Нн]е\w{3,}"
                     r"|(?<!\w)[Нн]і(?:хто|што|чога|калі|дзе|як)\w*"),
    "bg": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]и|[Нн]яма|[Бб]ез\w*)(?!\w)|(?<!\w)[Нн]е\w{3,}"
                     r"|(?<!\w)[Нн]и(?:кой|що|кога|къде|как)\w*"),
    # չ-verbs and ոչ, and the privative prefix ան- (անհնար, անհայտ, անվավեր).
    "hy": re.compile(r"(?<!\w)(?:չ|ոչ|մի(?!\w)|առանց|ոչ\w*|ան\w{3,})", re.IGNORECASE),
    # Verb negation is a suffix in az and tr (etmədi, gəlmir, olmaz); the infinitive (etmək, olmağa)
    # and -məli (must) are not negations, and -mən- is in erməni (Armenian), so m+k/q/ğ/l/n are left out.
    # The privative -sız/-siz/-suz/-süz (mümkünsüz, etibarsız) negates too.
    "az": re.compile(r"(?<!\w)(?:deyil|yox|heç|qeyri|olmadan)|\w+?m[aə](?:y|d|z|s|m)\w*|\w+?m[ıiuü](?:r|y)\w*"
                     r"|\w{2,}s[ıiuü]z\w*", re.IGNORECASE),
    "tr": re.compile(r"(?<!\w)(?:değil|yok|hiç)|\w+?m[ae](?:y|d|z|s|m)\w*|\w+?m[ıiuü](?:r|y)\w*|\w{2,}s[ıiuü]z\w*",
                     re.IGNORECASE),
    # Particles, and the privative უ- … -ო/-ელ (უნებართვოდ, შეუძლებელია, უცნობი).
    "ka": re.compile(r"(?<!\w)(?:არ|ვერ|ნუ|არა|არც|ვერც|ნურც|გარეშე)(?!\w)|(?<!\w)არა\w*|(?<!\w)ვერა\w*"
                     r"|(?<!\w)(?:შე|გა|და|მო|წა|ა)?უ\w{2,}(?:ო|ელ|არ)\w*"),
    # Particles, negative pronouns, privative prefixes (نا-, بی-, غیر) and negative verbs (ن-, نمی-).
    "fa": re.compile(r"(?<!\w)(?:نه|هیچ\w*|بدون|بی|عدم|غیر\w*|مگر)(?!\w)|(?<!\w)(?:بی|نا)\u200c?\w{3,}"
                     r"|(?<!\w)نی?(?:" + "|".join(_FA_VERBS) + r")\w*"),
    # Particles (لا لم لن ما ليس), غير/بدون/دون/عدم, and تعذّر/يتعذر/فشل ("it could not").
    "ar": re.compile(r"(?<!\w)(?:و|ف)?(?:لا|لم|لن|ما|ليس\w*|لست\w*|غير|بدون|دون|عدم|بلا|إلا)(?!\w)"
                     r"|(?<!\w)(?:و|ف)?(?:[تي]?تعذ\u0651?ر\w*|تعذ\u0651?ر\w*|فشل\w*|يفشل\w*|لايمكن|بلا\w+)"),
    "de": re.compile(r"(?<!\w)(?:nicht|kein\w*|nie\w*|ohne|weder)(?!\w)|(?<!\w)un\w{3,}", re.IGNORECASE),
    "fr": re.compile(r"(?<!\w)(?:ne|n'|n’|pas|jamais|aucun\w*|sans|ni)(?!\w)|(?<!\w)(?:im|in)\w{4,}", re.IGNORECASE),
    "es": re.compile(r"(?<!\w)(?:no|nunca|ningun\w*|nadie|nada|sin|ni)(?!\w)|(?<!\w)(?:im|in|des)\w{4,}",
                     re.IGNORECASE),
}


def source_negations(text: str, language: str) -> int:
    """How many negations ``text`` has in ``language`` (0 when the language has no table)."""
    pattern = SOURCE_NEGATIONS.get(language)
    return len(pattern.findall(text)) if pattern is not None else 0


def has_negation(text: str, language: str) -> bool | None:
    """Whether ``text`` has something that can carry a negation; None when the language has no table."""
    pattern = NEGATION_MARKERS.get(language)
    if pattern is None:
        return None
    return pattern.search(text) is not None
