"""Case coordination across departments, with privacy by design.

A case (``Fall``) is known here only by a generated pseudonymous reference; the lead
department keeps the link to the resident in its own files. The package records who works
on a case on which legal basis, referrals between departments, case conferences and goals,
and turns accepted referrals and conferences into joint activities for the network.
"""
