package org.dpopj.it.leaks.app;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens the library's loggers ({@code org.dpopj}, the parent of every {@code System.Logger} the library
 * names) to every level while this application is deployed, and puts the previous level back when it
 * is undeployed, so no other scenario's log gets the library's debug lines. The server's handlers must
 * let them through to its log file (each server module's logging configuration sees to that).
 */
@WebListener
public class VerboseLibraryLogging implements ServletContextListener {

    /** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger forgets its level. */
    private Logger library;
    private Level previous;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        library = Logger.getLogger("org.dpopj");
        previous = library.getLevel();
        library.setLevel(Level.ALL);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        library.setLevel(previous);
    }
}
