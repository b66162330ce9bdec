"""The manager's web page (issue 8): sessions, UAI-scoped views of imports, the presigned upload."""
