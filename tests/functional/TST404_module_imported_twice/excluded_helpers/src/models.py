ROLE = 'admin'
