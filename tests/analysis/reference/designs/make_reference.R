# Reference results for the designs' conditional logit and Cox model (walt_alliances issue 12).
#
# Run from this folder:  Rscript make_reference.R > make_reference.Rout 2>&1
# Inputs (written by walt_alliances from the shipped data, data 0.3.0; kept fixed here so the
# tests need no R):
#   clogit_sample.csv             partner choice, state-year strata (several chosen per stratum)
#   clogit_one_event_sample.csv   the strata of clogit_sample.csv with exactly one chosen partner
#   cox_sample.csv                pair alignment spells, counting-process rows
# Outputs: clogit_R.csv, clogit_one_event_R.csv, cox_R.csv (term, estimate, std_error,
#   robust_se where computed), printed with 15 significant digits.
# Software: R 4.2 (Debian), survival (Debian r-cran-survival); versions printed below.
library(survival)
cat("R", R.version.string, "\nsurvival", as.character(packageVersion("survival")), "\n\n")
options(digits = 15)
terms <- c("is_top_threat", "shares_top_threat", "threat_index", "cap_share_j", "log_capdist",
           "top_x_weak", "top_x_few")

write_ref <- function(fit, file, robust = FALSE) {
  s <- summary(fit)$coefficients
  out <- data.frame(term = rownames(s), estimate = s[, "coef"], std_error = s[, "se(coef)"])
  if (robust) out$robust_se <- s[, "robust se"]
  out$loglik <- fit$loglik[2]
  write.csv(out, file, row.names = FALSE)
  print(s)
  cat("loglik", fit$loglik, "\n\n")
}

# 1. Exact conditional likelihood (the only method valid with several chosen per stratum).
d <- read.csv("clogit_sample.csv")
f <- as.formula(paste("y ~", paste(terms, collapse = " + "), "+ strata(stratum)"))
m1 <- clogit(f, data = d, method = "exact")
write_ref(m1, "clogit_R.csv")

# 2. One chosen per stratum: every tie method is the exact likelihood, and R's robust
#    (dfbeta) variance clustered by the choosing state is available (it is not for "exact").
#    No one-chosen stratum picks i's top threat (separation), so the model drops is_top_threat
#    and its interactions.
d1 <- read.csv("clogit_one_event_sample.csv")
f1 <- y ~ shares_top_threat + threat_index + cap_share_j + log_capdist + strata(stratum)
m2 <- clogit(f1, data = d1, method = "breslow", cluster = actor_a)
write_ref(m2, "clogit_one_event_R.csv", robust = TRUE)

# 3. Cox model with time-varying covariates, counting-process form, Efron ties, clustered by pair.
c1 <- read.csv("cox_sample.csv")
m3 <- coxph(Surv(start, stop, event) ~ pan_arab_pair + same_family + threat_fading + multilateral,
            data = c1, ties = "efron", cluster = cluster)
write_ref(m3, "cox_R.csv", robust = TRUE)
