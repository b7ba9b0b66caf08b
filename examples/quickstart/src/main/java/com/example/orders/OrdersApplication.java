package com.example.orders;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The Jakarta REST application: every resource under /api. */
@ApplicationPath("/api")
public class OrdersApplication extends Application {
}
