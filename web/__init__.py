"""The pages people use: citizens, ward officials, couriers, district and city supervisors (server-rendered)."""
