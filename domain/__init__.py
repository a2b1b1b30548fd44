"""Typed models shared by the API, the workflows and the activities: stages, policy, messages."""
