"""walt_alliances: Walt's *The Origins of Alliances* (1987) as data and code."""
