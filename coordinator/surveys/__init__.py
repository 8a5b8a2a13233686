"""Survey rounds: the administration's self-assessment and the relational survey (perceived
cooperation between departments), compared with the logged network."""
