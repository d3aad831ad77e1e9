"""Layer 2, the daemon's polling: due feeds fetched politely, their new pages extracted and stored,
and when each feed is polled next; the scheduler that runs a pass whenever a feed is due."""
