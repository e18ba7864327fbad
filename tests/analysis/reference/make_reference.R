# Reference values for tests/analysis/test_inference.py and test_estimation.py.
#
# Run from this folder:  Rscript make_reference.R > make_reference.Rout 2>&1
# Needs R >= 4.2 with sandwich and brglm2 (Debian: r-cran-sandwich, r-cran-brglm2).
# Writes:
#   dyadic_sim.csv      simulated non-directed dyad-years (the data every check below uses)
#   endometrial.csv     brglm2's endometrial data (Heinze & Schemper 2002), separated in NV
#   r_reference.csv     every reference number, long format: check, quantity, row, col, value
#   make_reference.Rout the console log of this script (the raw output)
#
# The dyadic-robust variance is computed here by brute force over all pairs of
# observations (an n x n "shares an actor" matrix), independently of the O(n k^2) algebra of
# walt_alliances.analysis.inference.vcov_dyadic. The jackknife refits glm() once per
# dropped actor.

suppressPackageStartupMessages({
  library(sandwich)
  library(brglm2)
})
options(digits = 17)
cat(R.version.string, "\n")
cat("sandwich", as.character(packageVersion("sandwich")),
    "brglm2", as.character(packageVersion("brglm2")), "\n")

out <- list()
put <- function(check, quantity, m) {
  m <- as.matrix(m)
  rn <- rownames(m); cn <- colnames(m)
  if (is.null(rn)) rn <- rep("", nrow(m))
  if (is.null(cn)) cn <- rep("", ncol(m))
  rows <- expand.grid(i = seq_len(nrow(m)), j = seq_len(ncol(m)))
  out[[length(out) + 1]] <<- data.frame(
    check = check, quantity = quantity, row = rn[rows$i], col = cn[rows$j],
    value = sprintf("%.17g", m[cbind(rows$i, rows$j)]), stringsAsFactors = FALSE)
}

# ---- simulated dyadic data -----------------------------------------------------------
set.seed(20240101)
G <- 12
years <- 1:3
actors <- sprintf("A%02d", seq_len(G))
shock <- rnorm(G)            # actor-level shocks in the outcome
zx <- rnorm(G)               # actor-level component of x
pairs <- t(combn(G, 2))
d <- do.call(rbind, lapply(years, function(t) data.frame(a = pairs[, 1], b = pairs[, 2], year = t)))
d$x <- zx[d$a] + zx[d$b] + rnorm(nrow(d))
d$w <- rbinom(nrow(d), 1, 0.3)
eta <- -1 + 0.6 * d$x + 0.5 * d$w + shock[d$a] + shock[d$b]
d$y <- rbinom(nrow(d), 1, plogis(eta))
d$actor_a <- actors[d$a]
d$actor_b <- actors[d$b]
d$dyad <- paste(d$actor_a, d$actor_b, sep = "-")
sim <- d[, c("y", "x", "w", "actor_a", "actor_b", "year", "dyad")]
write.csv(sim, "dyadic_sim.csv", row.names = FALSE)
cat("dyadic_sim:", nrow(sim), "rows,", sum(sim$y), "events\n")

fit <- glm(y ~ x + w, family = binomial("logit"), data = sim,
           control = glm.control(epsilon = 1e-14, maxit = 100))
print(summary(fit))
put("sim", "coef", cbind(coef(fit)))
put("sim", "loglik", logLik(fit)[1])
put("sim", "vcov_model", vcov(fit))
put("sim", "vcov_cluster_dyad", vcovCL(fit, cluster = ~dyad, type = "HC1"))
put("sim", "vcov_twoway", vcovCL(fit, cluster = ~ actor_a + actor_b, type = "HC1"))

# dyadic-robust, brute force
U <- estfun(fit)             # n x k score contributions x_m (y_m - p_m)
A <- vcov(fit)               # inverse Fisher information
share <- outer(sim$actor_a, sim$actor_a, "==") | outer(sim$actor_a, sim$actor_b, "==") |
         outer(sim$actor_b, sim$actor_a, "==") | outer(sim$actor_b, sim$actor_b, "==")
M <- t(U) %*% (share * 1) %*% U
n <- nrow(U); k <- ncol(U)
Gs <- length(unique(c(sim$actor_a, sim$actor_b)))
V_dyadic <- (Gs / (Gs - 1)) * ((n - 1) / (n - k)) * A %*% M %*% A
put("sim", "vcov_dyadic", V_dyadic)
put("sim", "vcov_dyadic_nocorrection", A %*% M %*% A)
put("sim", "n_actors", Gs)
print(V_dyadic)

# delete-one-actor jackknife
acts <- sort(unique(c(sim$actor_a, sim$actor_b)))
jk <- t(sapply(acts, function(g) {
  keep <- sim$actor_a != g & sim$actor_b != g
  coef(glm(y ~ x + w, family = binomial("logit"), data = sim[keep, ],
           control = glm.control(epsilon = 1e-14, maxit = 100)))
}))
dev <- sweep(jk, 2, colMeans(jk))
put("sim", "vcov_jackknife_actor", (Gs - 1) / Gs * t(dev) %*% dev)

# ---- Firth / brglm2 AS_mean on separated data -----------------------------------------
data("endometrial", package = "brglm2")
write.csv(endometrial, "endometrial.csv", row.names = FALSE)
fb <- glm(HG ~ NV + PI + EH, family = binomial("logit"), data = endometrial,
          method = "brglmFit", type = "AS_mean",
          control = brglmControl(epsilon = 1e-12, maxit = 500))
print(summary(fb))
put("endometrial", "coef", cbind(coef(fb)))
put("endometrial", "vcov_model", vcov(fb))
put("endometrial", "loglik", logLik(fb)[1])

res <- do.call(rbind, out)
write.csv(res, "r_reference.csv", row.names = FALSE)
cat("wrote", nrow(res), "reference values\n")
