# Benchmark of the reference tool, the R package peacesciencer (Miller 2022), for the same
# panels as benchmarks/regional_panel.py and benchmarks/global_panel.py.
#
# Usage: Rscript benchmarks/peacesciencer.R regional|global [repeats]
#
# regional: create_dyadyears(subset_years = 1955:1979), kept to the 26 states of the study's
#   measures (the walt_alliances regional panel has them plus the non-state actors), then five
#   adders: add_atop_alliance, add_nmc, add_contiguity, add_capital_distance, add_gml_mids.
# global: create_dyadyears(mry = FALSE) (every directed dyad-year of the COW system,
#   1816-2016), then add_atop_alliance, add_nmc, add_contiguity, add_capital_distance.
#
# Prints one name=value line per figure: the median wall and CPU (user + system) time of the
# builds in this R process (after loading the packages), the rows and columns of the result, and R's own peak heap from
# gc() (not the process's resident set; measure that from outside, e.g. /usr/bin/time).
#
# The measured copy was peacesciencer 1.2.9 with stevemisc 1.9.0 and isard 0.2.0 installed from
# their sources into a private R library outside this repository, on R 4.2 with Debian's R
# packages; dplyr 1.1.4, vctrs 0.6.5, rlang 1.1.4, pillar 1.10.0, tibble 3.2.1 and labelled
# 2.12.0 were installed from their sources too, because peacesciencer needs dplyr >= 1.1.0 and
# Debian 12 ships 1.0.10. Nothing of these packages is part of walt_alliances.
suppressMessages({
  library(peacesciencer)
  library(dplyr)
})
args <- commandArgs(trailingOnly = TRUE)
which <- if (length(args) >= 1) args[[1]] else "regional"
repeats <- if (length(args) >= 2) as.integer(args[[2]]) else 3L
region <- c(2, 200, 220, 365, 770, 600, 615, 616, 620, 625, 630, 640, 645, 651, 652, 660, 663,
            666, 670, 678, 680, 690, 692, 694, 696, 698)
build <- function() {
  if (which == "regional") {
    create_dyadyears(subset_years = 1955:1979) %>%
      filter(ccode1 %in% region & ccode2 %in% region) %>%
      add_atop_alliance() %>% add_nmc() %>% add_contiguity() %>%
      add_capital_distance() %>% add_gml_mids()
  } else {
    create_dyadyears(mry = FALSE) %>%
      add_atop_alliance() %>% add_nmc() %>% add_contiguity() %>% add_capital_distance()
  }
}
invisible(gc(reset = TRUE))
times <- numeric(0)
cpus <- numeric(0)
for (i in seq_len(repeats)) {
  t0 <- Sys.time()
  c0 <- proc.time()
  p <- suppressMessages(build())
  c1 <- proc.time() - c0
  times <- c(times, as.numeric(difftime(Sys.time(), t0, units = "secs")))
  cpus <- c(cpus, c1[["user.self"]] + c1[["sys.self"]])
}
g <- gc()
cat(sprintf("peacesciencer_%s_seconds=%.3f\n", which, median(times)))
cat(sprintf("peacesciencer_%s_cpu_seconds=%.3f\n", which, median(cpus)))
cat(sprintf("rows=%d\ncolumns=%d\n", nrow(p), ncol(p)))
cat(sprintf("r_heap_peak_mb=%.0f\n", sum(g[, ncol(g)])))
