"""The area: geography, the resource directory and matching needs to services."""
