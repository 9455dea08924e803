"""The Zendesk Chat API client: one origin, auth, retry and throttle, bounded answers."""
