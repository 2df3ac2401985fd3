"""Development helpers shared by the tests and the benchmarks; the site build never imports them."""
