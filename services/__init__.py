"""Business rules as plain functions over a database session; activities and the API call them."""
