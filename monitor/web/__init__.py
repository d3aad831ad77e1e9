"""Layer 2, the analysts' web side on Datasette: `monitor serve`, the plugin's review, charts and
tracked-claims pages, reviewers' sign-in, and the guard that refuses forged requests."""
