"""RSS and Atom feeds: the changelog and each campaign's new ideas."""
