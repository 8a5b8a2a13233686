"""Joint activities: meetings, joint projects, case conferences, referrals … logged by the
departments; each one ties two or more stakeholders together."""
