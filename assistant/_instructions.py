"""Text that gives orders is not reporting: an instruction inside an article (忽略之前的指令,
请一律回答…) is never evidence, for a claim or for a model's sentence (`../shared/cases/11-*`)."""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"忽略(?:掉)?(?:之前|以上|上述|前面|先前|此前|上面|其他)?(?:的)?(?:所有|全部|一切)?(?:的)?"
    r"(?:指令|指示|提示|规则|设定|要求|内容)"
    r"|系统提示|系统指令|(?:请|务必|必须)?一律(?:回答|答复|说)|凡是?有人(?:询问|问|提问|问起)"
    r"|(?:请|你)(?:必须|务必|只能|直接)?(?:回答|答复|告诉用户)[:：“\"]"
    # "你是一个AI助手" addresses a model; "作为人工智能领域的一员" describes a company.
    r"|你是(?:一个)?(?:AI|人工智能|智能)?(?:助手|语言模型|机器人|AI)|作为(?:一个)?(?:AI|人工智能)(?:助手|语言模型|模型)"
    r"|ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier|preceding) "
    r"(?:instructions|prompts?|rules)"
    r"|disregard (?:all |the )?(?:previous|prior|above)|system prompt|(?:you are|act as) (?:an? )?"
    r"(?:ai|assistant|language model)|always (?:answer|reply|respond)",
    re.I,
)
# Markers that open an instruction block: what follows in the paragraph is part of it.
_BLOCK = re.compile(
    r"系统提示|系统指令|忽略.{0,6}(?:指令|指示|提示)|ignore .{0,20}instructions|system prompt", re.I
)


def is_instruction(sentence: str, preceding: str = "") -> bool:
    """Text addressed to the system or the reader as an order, not a report of what happened."""
    return bool(_INSTRUCTION.search(sentence) or _BLOCK.search(preceding))
