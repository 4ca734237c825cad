"""`{% overlap_flags program %}`: the program page's overlap section, rendered from programs/overlap/_flags.html."""

from django import template

from ..overlap_resolve import may_answer_flag
from ..overlap_selectors import flags_of_program

register = template.Library()


@register.inclusion_tag("programs/overlap/_flags.html", takes_context=True)
def overlap_flags(context, program):
    user = context["request"].user
    flags = list(flags_of_program(program))
    return {
        "tenant": context.get("tenant"), "program": program,
        "flags": [(flag, flag.other(program), may_answer_flag(user, flag, program)) for flag in flags],
    }


@register.simple_tag
def flag_reasons(flag):
    return flag.rendered_reasons()
