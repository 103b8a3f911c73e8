"""Real rulebook text as the yardstick: the ADGM (ObliQA) track, its split, and the PDF route."""
