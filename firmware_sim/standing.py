"""Standing: both feet down, the trunk still. The vertical specific force is exactly 1 g (weight
carried), horizontal forces zero, trunk upright (lean ``STANDING_LEAN_DEG``), no rotation."""

STANDING_SF_G = 1.0
STANDING_LEAN_DEG = 0.0
