"""The manager's web page (issue 8): server-rendered pages, their static assets and their security headers."""
