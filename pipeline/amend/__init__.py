"""Amending orders: their instructions recognised (:mod:`.instructions`) and
applied to the order they amend (:mod:`.apply`)."""

from pipeline.amend.apply import Amended, Outcome, apply_amendment
from pipeline.amend.instructions import Instruction, recognise

__all__ = ["Amended", "Instruction", "Outcome", "apply_amendment", "recognise"]
