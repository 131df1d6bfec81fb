"""Reports read what storage kept: a trainee's progress and the certificate of a passed assessment."""
