"""The mandate task taxonomy: one list shared by extraction, the graph views, the CLI and the web."""

from __future__ import annotations

TASKS = (
    "ceasefire_monitoring", "protection_of_civilians", "humanitarian_assistance_support",
    "ddr", "ssr", "rule_of_law", "human_rights", "elections", "political_process_support",
    "demining", "use_of_force_authorization", "arms_embargo_monitoring",
    "sexual_violence_and_children", "state_authority_extension", "border_or_buffer_zone",
)
