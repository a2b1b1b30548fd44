"""The versioned JSON API: thin routes over services and the relief workflows."""
