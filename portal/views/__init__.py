"""Portal views: thin, they call the services and selectors (see the modules of this package)."""
